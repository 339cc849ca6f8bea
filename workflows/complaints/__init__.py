"""Complaints (投诉举报) under first-receiver responsibility (首接负责): recording from every channel, the API
for other systems, the ledger and status, and the complaint process's hooks (transfer, linked case, reward,
the first receiver keeping the receiver's steps).
"""
