"""Five-contracts matters (五包): a matter goes to the responsible person of the smallest area holding its
address and climbs one level each time that level's deadline passes; supervisors move it to a level;
overdue steps of other processes raise matters.
"""
