"""Periodic reports for the province (form-style tables by unit, category and outcome). Imports
`handlers.intake` (the categories), `handlers.escalation`, `handlers.rules` and the shared top modules."""
