"""The window: starting page, login, the workspace that hosts every feature, and the
composition root that builds the features' controllers in order.
"""
