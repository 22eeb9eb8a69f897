"""Dashboard screens: the main live screen and the break screen."""
