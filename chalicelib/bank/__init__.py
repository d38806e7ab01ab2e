"""Bank files: SEPA credit transfers out, statements in."""
