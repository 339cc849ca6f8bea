"""查封 (sealing) of premises used for MLM: the bureau head's prior written approval (禁止传销条例 第十四条), the
查封决定书 and its 清单 (行政强制法 第二十四条), the time limit and its extension as a timer (禁止传销条例 第十八条,
行政强制法 第二十五条), the 解除查封决定书, and the utility and lock measures that hang off a 查封 in force."""
