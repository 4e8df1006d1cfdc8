"""`makemessages` that also extracts the builder's `say("…", values)` strings.

The builder's JavaScript formats its translated messages with a small `say(format, values)`
helper (gettext + interpolate); xgettext only knows `gettext`, so it is told that `say`'s
first argument is a message too.
"""
from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=say"]
