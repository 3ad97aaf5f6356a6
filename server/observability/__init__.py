"""What the service tells its operators: one log line, metrics and a trace per request, however it ran."""
