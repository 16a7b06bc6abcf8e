"""The exchange between sites (issue 18): change capture by SQLite's session
extension, packages signed and encrypted between trusted sites, applied whole
or not at all, with conflicts and probable duplicates kept for a person.

Modules: ``tables`` (what travels, who owns what), ``capture`` (the outbox),
``keys`` (natural keys and the one-time migration of old ones), ``package``
(the .zbt file), ``apply`` (applying units, merging, conflicts), ``sites``
(identity cards, trust, export, import, provision)."""
