"""What Python a diagram may carry, checked when it is deployed.

The engine runs a diagram's scripts and expressions (script tasks, conditions, timer expressions, multi-
instance counts, SpiffWorkflow's pre- and post-scripts and service parameters) as Python on the server. An
uploaded diagram is therefore code, and an administrator's upload must not become a way to run anything.
Each piece is parsed with `ast` and accepted only when it is made of simple statements and expressions:
assignments, arithmetic, comparisons, literals, subscripts, comprehensions, and calls to the engine's
registered script functions, a few harmless built-ins and a few data methods. Names are the task data's
and those functions'; nothing that starts with an underscore (no dunders), no imports, no attribute other
than the listed methods, no exec/eval/open. Anything else is refused with the reason, in Chinese.
"""
from __future__ import annotations

import ast

from lxml import etree

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"

# Elements whose text the engine runs: statements (exec) or one expression (eval).
SCRIPT_ELEMENTS = {(BPMN, "script"), (SPIFF, "preScript"), (SPIFF, "postScript")}
EXPRESSION_ELEMENTS = {(BPMN, "conditionExpression"), (BPMN, "timeDuration"), (BPMN, "timeCycle"),
                       (BPMN, "timeDate"), (BPMN, "loopCardinality"), (BPMN, "completionCondition"),
                       (SPIFF, "messagePayload"), (SPIFF, "loopCardinality")}
# Attributes the engine evaluates as expressions.
EXPRESSION_ATTRIBUTES = {(SPIFF, "parameter"): "value"}

SAFE_BUILTINS = {"len", "str", "int", "float", "bool", "min", "max", "sum", "abs", "round", "sorted", "list",
                 "dict", "set", "tuple", "any", "all", "range", "enumerate", "zip", "reversed", "isinstance",
                 "True", "False", "None"}
SAFE_METHODS = {"get", "keys", "values", "items", "strip", "lower", "upper", "startswith", "endswith", "split",
                "join", "replace", "count", "index", "append", "extend", "copy", "isdigit"}
ALLOWED_NODES = (
    ast.Module, ast.Expression, ast.Expr, ast.Assign, ast.AugAssign, ast.If, ast.Pass,
    ast.Name, ast.Load, ast.Store, ast.Constant, ast.Attribute, ast.Call, ast.keyword,
    ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.IfExp, ast.Subscript, ast.Slice,
    ast.List, ast.Tuple, ast.Dict, ast.Set, ast.JoinedStr, ast.FormattedValue,
    ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.comprehension,
    ast.operator, ast.unaryop, ast.boolop, ast.cmpop, ast.expr_context,
)
NODE_NAMES = {ast.Import: "import", ast.ImportFrom: "import", ast.Lambda: "lambda", ast.FunctionDef: "def",
              ast.ClassDef: "class", ast.While: "while", ast.For: "for", ast.Try: "try", ast.With: "with",
              ast.Global: "global", ast.Nonlocal: "nonlocal", ast.Delete: "del", ast.Raise: "raise",
              ast.Yield: "yield", ast.Await: "await", ast.NamedExpr: ":="}


def script_problem(code: str, functions: set[str], mode: str = "exec") -> str | None:
    """Why `code` may not run in the engine (None: it may). `functions`: the registered script functions."""
    try:
        tree = ast.parse(code.strip(), mode=mode)
    except SyntaxError as exc:
        return f"不是合法的 Python {'语句' if mode == 'exec' else '表达式'}（第 {exc.lineno} 行）"
    callable_names = functions | SAFE_BUILTINS
    for node in ast.walk(tree):
        if not isinstance(node, ALLOWED_NODES):
            what = NODE_NAMES.get(type(node), type(node).__name__)
            return f"不允许使用 {what}"
        if isinstance(node, ast.Name) and node.id.startswith("_"):
            return f"不允许使用以下划线开头的名称 {node.id}"
        if isinstance(node, ast.Attribute) and node.attr not in SAFE_METHODS:
            return f"不允许访问属性 .{node.attr}"
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id not in callable_names:
                return f"不允许调用 {func.id}()：只能调用引擎登记的脚本函数（{'、'.join(sorted(functions)) or '无'}）"
            if not isinstance(func, (ast.Name, ast.Attribute)) and isinstance(func, ALLOWED_NODES):
                return "不允许这种调用方式"  # e.g. f()(), x[0](); a lambda is named when the walk reaches it
        if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)) and len(node.value) > 10000:
            return "字符串过长"
    return None


def _location(el) -> str:
    """The id of the flow element (or sequence flow) a piece of code belongs to."""
    while el is not None:
        if el.get("id"):
            return el.get("id")
        el = el.getparent()
    return "?"


def diagram_problems(xml: bytes, functions: set[str], name: str = "<diagram>") -> list[str]:
    """Every script or expression of a diagram the engine would refuse to run, with where it is and why."""
    try:
        root = etree.fromstring(xml)
    except etree.XMLSyntaxError as exc:
        return [f"{name}: 不是合法的 XML：{exc}"]
    problems = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        q = etree.QName(el)
        key = (q.namespace, q.localname)
        pieces = []
        if key in SCRIPT_ELEMENTS and (el.text or "").strip():
            pieces.append((el.text, "exec"))
        elif key in EXPRESSION_ELEMENTS and (el.text or "").strip():
            pieces.append((el.text, "eval"))
        attribute = EXPRESSION_ATTRIBUTES.get(key)
        if attribute and (el.get(attribute) or "").strip():
            pieces.append((el.get(attribute), "eval"))
        for code, mode in pieces:
            problem = script_problem(code, functions, mode)
            if problem:
                snippet = " ".join(code.split())[:60]
                problems.append(f"{name}: “{_location(el)}”中的脚本“{snippet}”被拒绝：{problem}")
    return problems
