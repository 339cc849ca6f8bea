"""The stored workflow state is written by orjson where it writes what json.dumps wrote, and by json.dumps
where it would not (keys other than strings, integers beyond 64 bits, NaN and infinities); it reads back the
same either way, and states written by json.dumps before read back as they did.
"""
import json
import math
import uuid
import zlib
from datetime import date
from pathlib import Path

import pytest

from workflows.engine import spiff, state_codec

BPMN = Path(__file__).resolve().parent.parent / "bpmn" / "six_step_case.bpmn"


@pytest.fixture(scope="module")
def parsed():
    return spiff.parse(BPMN.read_bytes(), "six_step_case")


def _started(parsed, data: dict) -> spiff.Runtime:
    rt = spiff.Runtime.start(parsed, {"persons": []})
    (ready,) = rt.ready_tasks()
    ready.data.update(data)  # the live task's data, as a form's values would be before the step runs
    return rt


def _as_json_wrote(rt: spiff.Runtime) -> bytes:
    """The state as the straightforward serialization wrote it: every task converted and json.dumps'ed."""
    dct = spiff.SERIALIZER.to_dict(rt.workflow)
    members, _exact = dct.pop("tasks")
    dct[spiff.BpmnWorkflowSerializer.VERSION_KEY] = spiff.SERIALIZER.VERSION
    convert = spiff.SERIALIZER.registry.convert
    dct["tasks"] = {str(task_id): convert(task) for task_id, task in rt.workflow.tasks.items()}
    assert len(members) == len(dct["tasks"])
    return zlib.compress(json.dumps(dct, separators=(",", ":"), ensure_ascii=False).encode(), 1)


def _text(state: bytes) -> bytes:
    return state_codec.unpack(state)


PLAIN = {"summary": "窝点：吴家山街\u2028第一社区\t“花园”小区\\1栋\"", "count": 3, "ratio": 0.1, "large": 1e16,
         "small": -2.5e-7, "yes": True, "persons": [{"name": "张三", "id_number": "11010519491231002X"}],
         "limit": 2 ** 63 - 1, "emoji": "\U0001F600"}


@pytest.mark.parametrize("data, by_orjson", [
    (PLAIN, True),
    (dict(PLAIN, note=None), True),  # json.dumps writes it (orjson's null may stand for NaN), orjson reads it
    (dict(PLAIN, scores={1: "一", 2.5: "二点五", False: "否", None: "无"}), False),
    (dict(PLAIN, big=2 ** 70 + 1, negative=-(2 ** 64) - 3), False),
])
def test_the_state_reads_back_as_json_wrote_it(parsed, data, by_orjson):
    rt = _started(parsed, data)
    state = rt.dump()
    before = _as_json_wrote(rt)
    # What is stored decodes to what json.dumps wrote, key for key (int keys became strings as before) ...
    assert json.loads(_text(state)) == json.loads(_text(before))
    # ... and the marker that lets orjson read it is there only where orjson reads it exactly.
    assert _text(state).startswith(state_codec.ORJSON_SAFE) is by_orjson
    assert state_codec.loads(_text(state)) == json.loads(_text(before))
    for stored in (state, before):  # and a state written before this encoding restores the same
        restored = spiff.Runtime.restore(parsed, stored)
        (ready,) = restored.ready_tasks()
        assert ready.data == json.loads(json.dumps(rt.ready_tasks()[0].data))
        assert spiff.ready_task_data(stored, ready.id) == ready.data
        assert json.loads(_text(restored.dump())) == json.loads(_text(state))  # written afresh


def test_big_integers_and_nan_keep_their_values(parsed):
    rt = _started(parsed, {"big": 2 ** 70 + 1, "ratio": float("nan"), "far": float("-inf")})
    state = rt.dump()
    assert not _text(state).startswith(state_codec.ORJSON_SAFE)
    assert b'"ratio":NaN' in _text(state) and b'"far":-Infinity' in _text(state)
    (ready,) = spiff.Runtime.restore(parsed, state).ready_tasks()
    assert ready.data["big"] == 2 ** 70 + 1 and isinstance(ready.data["big"], int)
    assert math.isnan(ready.data["ratio"]) and ready.data["far"] == -math.inf


def test_a_nan_next_to_a_null_is_written_as_json_dumps_wrote_it(parsed):
    rt = _started(parsed, {"note": None, "ratio": float("inf")})
    assert b'"note":null,"ratio":Infinity' in _text(rt.dump())


@pytest.mark.parametrize("value", [date(2024, 1, 2), {uuid.uuid4(): 1}, {1, 2}])
def test_what_json_refused_is_still_refused(parsed, value):
    rt = _started(parsed, {"value": value})
    with pytest.raises(TypeError):
        rt.dump()


def test_states_are_stored_by_zstandard_and_zlib_ones_still_restore(parsed):
    rt = _started(parsed, {"note": "摸排"})
    state = rt.dump()
    assert state[:4] == b"\x28\xb5\x2f\xfd"  # a Zstandard frame
    text = state_codec.unpack(state)
    assert len(state) < len(zlib.compress(text, 1))
    # A state stored by zlib before restores to the same workflow, which saves the same state again.
    written_before = zlib.compress(text, 1)
    assert spiff.Runtime.restore(parsed, written_before).dump() == state
    assert spiff.Runtime.restore(parsed, state).dump() == state
