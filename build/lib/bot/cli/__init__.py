"""The command line: one module per command group (run, keys, purge, audit, report, export, roster,
web). `main` parses the arguments and dispatches; the heavy groups load only when asked for."""
