from django.core.management.base import BaseCommand

from accountwise.notifications.actions import send_notifications


class Command(BaseCommand):
    help = (
        "Send the renewal reminders due today, retry failed e-mails and create due renewal "
        "opportunities. Safe to run as often as wanted, and on several servers at once: "
        "each reminder goes out once."
    )

    def handle(self, *args, **options):
        summary = send_notifications()
        self.stdout.write(f"Renewal notifications: {summary}.")
