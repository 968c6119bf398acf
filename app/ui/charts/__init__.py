"""The Charts page: live charts of a session's figures, their forms and exports."""
