"""How a case can end: form 06 (the child is safe) and its alternatives, shared by the desk and the reports."""

OUTCOMES = ("safe", "police", "referred", "unfounded", "duplicate")
