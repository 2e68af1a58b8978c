"""policygen – genererar och granskar styrdokument om samverkan med sociala företag."""

from policygen.errors import UserError

__all__ = ["UserError"]
__version__ = "0.1.0"
