"""The officers' desk: button and typed actions, the case page, the Decree-56 workflow, the case
record. The top handler layer: it may import every other handler package; none imports it."""
