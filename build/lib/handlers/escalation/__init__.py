"""Getting a report to a human: alert cards and their sending, the timers that climb the chain when
nobody acknowledges, who is on duty, shift handoffs, the overdue auditor, notices to officers and
refused deliveries. Imports only `handlers.rules` and the shared top modules."""
