"""Exports: the rows of a listing as a file, under the caller's scope (row-level security on).

`tables` says what each export holds (its columns, French headers and labels, its rows for a filter);
`stream` reads them out: COPY for CSV, a server-side cursor for spreadsheets.
"""
