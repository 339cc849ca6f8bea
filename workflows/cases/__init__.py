"""Six-step cases (六步工作法): the persons found in a case, the information comparison (信息比对) against the
blacklist and earlier cases, and the case's hooks (comparison script function, persons mirror, blacklist
entry on closing).
"""
