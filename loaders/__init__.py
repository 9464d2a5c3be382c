"""Reading workbooks and CSV folders into a validated ledger; the template and sample writers."""
