"""The purchased-services pages, one module a resource: ``projects`` (list, register,
the project page and its lifecycle steps), ``payments`` (paying, the budget ledger),
``indicators`` (the board, the records behind a figure), ``evaluations`` (the sheet,
evidence, the agency's response) and ``agencies`` (the register)."""
