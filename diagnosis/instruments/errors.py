class DataFileError(ValueError):
    """A data file failed validation. Names the file and the key path of the problem."""

    def __init__(self, file: str, path: str, message: str):
        self.file = file
        self.path = path
        self.message = message
        super().__init__(f"{file}: {path or '(top level)'}: {message}")
