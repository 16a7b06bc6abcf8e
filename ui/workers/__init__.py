"""参保登记 screens: the forms, the import dialog, and the widgets they share."""
