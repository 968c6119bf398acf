"""The encryption layer's own parts on top of nio and vodozemac (docs/architecture.md,
"Encryption layer")."""
