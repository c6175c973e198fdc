import os
import sys


def main() -> None:
    """Run a Django management command with Accountwise's settings, as manage.py does."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accountwise.settings")

    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
