"""The two-way channel between a reporter and the officers on their case, keyed by the case code and
secret. Imports `handlers.escalation` (to tell officers), `handlers.rules` and the shared top modules."""
