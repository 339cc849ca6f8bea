"""Online MLM clues (网络传销, 四步工作法: 线上监测 → 线下实证 → 多措处置 → 稳妥善后): the clue ledger and its
search and export, the clue process's hooks, the link from repeated complaints to a clue, and the links to the
创无 platforms' re-inspection and to the penalty procedure (links.py, made in the action that confirms or
handles the clue).
"""
