"""Mail the platform sends: letters in Dutch or English, rendered as plain text and HTML."""
