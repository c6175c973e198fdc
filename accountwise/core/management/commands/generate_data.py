import argparse

from django.core.management.base import BaseCommand, CommandError

from accountwise.core.generate import DEFAULT_SEED, PortfolioExists, generate_portfolio


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1.")
    return number


class Command(BaseCommand):
    help = (
        "Generate a realistic, made-up portfolio for benchmarks and trials: per account 5 contacts, "
        "5 contracts, 20 opportunities with stage history, and a plan with 3 actions, owned by "
        "about one generated account manager per 200 accounts. The same seed gives the same data "
        "on an empty database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--accounts", type=_positive, default=100,
            help="Number of accounts to generate; the other records scale with it (default: 100).",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED,
            help=f"Seed of the random generator; the same seed repeats the data (default: {DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--password", default="",
            help="Password of every generated account manager (default: none, so they cannot log in).",
        )
        parser.add_argument(
            "--force", action="store_true",
            help="Add to a database that already has accounts, skipping names in use.",
        )

    def handle(self, *args, **options):
        def report(done: int) -> None:
            if options["verbosity"] > 1:
                self.stdout.write(f"  {done:,} of {options['accounts']:,} accounts")

        try:
            result = generate_portfolio(
                options["accounts"], options["seed"], password=options["password"],
                add_to_existing=options["force"], progress=report,
            )
        except PortfolioExists:
            raise CommandError(
                "The database already has accounts. Generate into an empty database, "
                "or add --force to add the generated portfolio beside them."
            )

        width = max(len(name) for name in result.counts)
        for name, number in result.counts.items():
            self.stdout.write(f"{name:<{width}}  {number:>10,}")
        self.stdout.write(self.style.SUCCESS(
            f"Generated {options['accounts']:,} accounts with seed {options['seed']} in {result.seconds:.1f} s."
        ))
