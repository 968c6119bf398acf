"""Pure domain code: no Qt, no nio, no SQL. Every other layer builds on these types."""
