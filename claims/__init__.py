"""职保通 core: models, rules, the store and the headless commands. No Qt here."""
