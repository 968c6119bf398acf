"""The facilitator's exercise controls."""
