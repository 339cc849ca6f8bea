"""The office's own records that the annual assessment (seed 000, Annex 3) reads and no process produces:
publicity activities, letters to persons' registration places, the police's 110 alert counts, criminal cases
the police filed after a transfer, case 报备 and periodic statistical reports, the working groups (the 241 task
force, street and community groups, key areas' full-time teams) and the office's documents (plans, the
emergency plan, the assessment rules, the funding statement). One module per record kind; every list, form,
import and file is scoped by the one access rule and every change audited.
"""
