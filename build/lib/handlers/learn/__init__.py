"""Learn ("Tìm hiểu"): short prevention pieces for a child, a parent or a teacher, read anonymously."""

from handlers.learn.pieces import AUDIENCES, Piece, learn_text, pieces_for
from handlers.learn.reader import LEARN_PREFIX, LearnPlace, learn_pick, learn_screen, move

__all__ = [
    "AUDIENCES",
    "LEARN_PREFIX",
    "LearnPlace",
    "Piece",
    "learn_pick",
    "learn_screen",
    "learn_text",
    "move",
    "pieces_for",
]
