"""A report of abusive images, videos or content about children online, as data: the link, never the
material itself (forwarding or keeping it is itself harm, and unlawful), the platform, and danger."""

from __future__ import annotations

from handlers.intake.flows import Flow, Step, StepKind

__all__ = ["ONLINE", "ONLINE_CATEGORY", "PLATFORMS"]

ONLINE_CATEGORY = "online_content"  # its cases' form: routed to the deployment's focal point, counted apart
PLATFORMS = ("facebook", "tiktok", "youtube", "zalo", "telegram", "website", "other")

ONLINE = Flow(
    "online",
    (
        Step("online_link", StepKind.LINK, max_chars=2000),
        Step("online_platform", StepKind.CHOICE, PLATFORMS),
        Step("online_danger", StepKind.CHOICE, ("yes", "no", "unknown")),
    ),
)
