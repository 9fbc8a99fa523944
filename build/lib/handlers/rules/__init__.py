"""Pure rules of the process: the escalation policy, Decree-56 deadlines, working days (Tết included),
rosters as data, the ways a case can end. No I/O and no imports from other handler packages: the bottom
layer, read by everything above it (it may name storage model types)."""
