class ScoreInputError(ValueError):
    """Bad scoring input. ``key`` is the path of the offending value, e.g. ``answers.Q01``."""

    def __init__(self, key: str, message: str):
        self.key = key
        self.message = message
        super().__init__(f"{key}: {message}")
