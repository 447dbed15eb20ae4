"""Leaders, subsidies and awards, the payment ledger and the honour list
(docs/programmes.md "Leaders and organisers", "Subsidies and awards")."""
