"""Concentrated sweeps (集中清查行动): plan one for an area and a day, record each house checked, open a
six-step case for each suspicious house, and count sweeps per period for the assessment.
"""
