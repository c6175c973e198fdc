from django.test import TestCase

from accountwise.transfer.mapping import (
    ACCOUNTS,
    CONTACTS,
    CONTRACTS,
    FIELDS,
    OPPORTUNITIES,
    MappingError,
    map_columns,
    match_columns,
    missing_fields,
    parse_map_option,
)

OPPORTUNITY_BASICS = ["Opportunity Name", "Account Name", "Stage", "Amount", "Close Date"]


def mapped(mapping) -> dict[str, str]:
    return {name: mapping.header(name) for name in mapping.columns}


class AccountColumnTests(TestCase):
    def test_maven_headers(self):
        headers = ["account", "sector", "year_established", "office_location", "subsidiary_of"]

        mapping = map_columns(headers, ACCOUNTS)

        self.assertEqual(
            mapped(mapping),
            {"name": "account", "industry": "sector", "country": "office_location", "parent": "subsidiary_of"},
        )

    def test_salesforce_headers(self):
        headers = ["Account ID", "Account Name", "Parent Account", "Billing Country", "Industry",
                   "Type", "Website", "Account Owner", "Description"]

        mapping = map_columns(headers, ACCOUNTS)

        self.assertEqual(mapped(mapping), {
            "external_id": "Account ID", "name": "Account Name", "parent": "Parent Account",
            "country": "Billing Country", "industry": "Industry", "type": "Type",
            "website": "Website", "owner": "Account Owner", "description": "Description",
        })

    def test_hubspot_headers(self):
        headers = ["Record ID", "Company name", "Company owner", "Country/Region", "Company Domain Name"]

        mapping = map_columns(headers, ACCOUNTS)

        self.assertEqual(mapped(mapping), {
            "external_id": "Record ID", "name": "Company name", "owner": "Company owner",
            "country": "Country/Region", "website": "Company Domain Name",
        })

    def test_case_space_underscore_insensitive(self):
        mapping = map_columns(["ACCOUNT_NAME", "billingcountry", " Sub sidiary_Of"], ACCOUNTS)

        self.assertEqual(mapped(mapping), {"name": "ACCOUNT_NAME", "country": "billingcountry", "parent": " Sub sidiary_Of"})

    def test_unmatched_columns_ignored(self):
        mapping = map_columns(["account", "revenue", "employees"], ACCOUNTS)

        self.assertEqual([column.header for column in mapping.ignored], ["revenue", "employees"])
        self.assertEqual({column.reason for column in mapping.ignored}, {"matches no field"})

    def test_best_synonym_wins(self):
        mapping = map_columns(["company", "Account Name"], ACCOUNTS)

        self.assertEqual(mapping.header("name"), "Account Name")
        self.assertEqual(mapping.ignored[0].header, "company")
        self.assertEqual(mapping.ignored[0].reason, 'name comes from column "Account Name"')

    def test_missing_name_column(self):
        with self.assertRaisesMessage(MappingError, "the file has no column for the account name; its columns are revenue"):
            map_columns(["revenue"], ACCOUNTS)


class ContactColumnTests(TestCase):
    def test_salesforce_headers(self):
        headers = ["Id", "FirstName", "LastName", "Title", "Email", "Phone", "AccountId", "ReportsToId"]

        mapping = map_columns(headers, CONTACTS)

        self.assertEqual(mapped(mapping), {
            "external_id": "Id", "first_name": "FirstName", "last_name": "LastName", "job_title": "Title",
            "email": "Email", "phone": "Phone", "account": "AccountId",
        })

    def test_hubspot_headers(self):
        headers = ["Record ID", "First Name", "Last Name", "Job Title", "Email", "Phone Number",
                   "Company Name", "Associated Company"]

        mapping = map_columns(headers, CONTACTS)

        self.assertEqual(mapped(mapping), {
            "external_id": "Record ID", "first_name": "First Name", "last_name": "Last Name",
            "job_title": "Job Title", "email": "Email", "phone": "Phone Number", "account": "Company Name",
        })

    def test_full_name_instead_of_last_name(self):
        mapping = map_columns(["Name", "Account"], CONTACTS)

        self.assertEqual(mapped(mapping), {"full_name": "Name", "account": "Account"})

    def test_missing_name_columns(self):
        with self.assertRaisesMessage(MappingError, "the file has no column for the last name or the full name"):
            map_columns(["Email", "Account"], CONTACTS)

    def test_accountwise_export_headers(self):
        headers = ["Account", "First name", "Last name", "Job title", "Email", "Phone", "Key player", "Role",
                   "Reports to", "External ID"]

        mapping = map_columns(headers, CONTACTS)

        self.assertEqual(len(mapping.columns), len(headers))


class ContractColumnTests(TestCase):
    def test_salesforce_headers(self):
        headers = ["ContractNumber", "Name", "AccountId", "StartDate", "EndDate", "Status", "Description"]

        mapping = map_columns(headers, CONTRACTS)

        self.assertEqual(mapped(mapping), {
            "external_id": "ContractNumber", "name": "Name", "account": "AccountId", "start_date": "StartDate",
            "end_date": "EndDate", "status": "Status", "description": "Description",
        })

    def test_accountwise_export_headers(self):
        headers = ["Account", "Name", "Value", "Start date", "End date", "Status", "Owner", "External ID"]

        mapping = map_columns(headers, CONTRACTS)

        self.assertEqual(len(mapping.columns), len(headers))

    def test_missing_account_column(self):
        with self.assertRaisesMessage(MappingError, "the file has no column for the account"):
            map_columns(["Name", "Value"], CONTRACTS)


class MatchColumnsTests(TestCase):
    def test_accepts_missing_required_field(self):
        mapping = match_columns(["Deal Name", "Amount"], OPPORTUNITIES)

        self.assertEqual(mapped(mapping), {"name": "Deal Name", "value": "Amount"})

    def test_missing_fields_listed(self):
        mapping = match_columns(["Deal Name", "Amount"], OPPORTUNITIES)

        self.assertEqual([[spec.name for spec in choice] for choice in missing_fields(mapping)],
                         [["account"], ["stage"], ["close_date"]])


class OpportunityColumnTests(TestCase):
    def test_salesforce_api_headers(self):
        headers = ["Id", "Name", "AccountId", "StageName", "Amount", "CloseDate", "Description"]

        mapping = map_columns(headers, OPPORTUNITIES)

        self.assertEqual(mapped(mapping), {
            "external_id": "Id", "name": "Name", "account": "AccountId", "stage": "StageName",
            "value": "Amount", "close_date": "CloseDate", "description": "Description",
        })

    def test_salesforce_headers(self):
        headers = ["Opportunity ID", *OPPORTUNITY_BASICS, "Opportunity Owner", "Account Owner"]

        mapping = map_columns(headers, OPPORTUNITIES)

        self.assertEqual(mapped(mapping), {
            "external_id": "Opportunity ID", "name": "Opportunity Name", "account": "Account Name",
            "stage": "Stage", "value": "Amount", "close_date": "Close Date", "owner": "Opportunity Owner",
        })

    def test_hubspot_headers(self):
        headers = ["Record ID", "Deal Name", "Associated Company", "Deal Stage", "Amount", "Close Date", "Deal owner"]

        mapping = map_columns(headers, OPPORTUNITIES)

        self.assertEqual(mapped(mapping), {
            "external_id": "Record ID", "name": "Deal Name", "account": "Associated Company",
            "stage": "Deal Stage", "value": "Amount", "close_date": "Close Date", "owner": "Deal owner",
        })

    def test_maven_headers(self):
        headers = ["opportunity_id", "sales_agent", "product", "account", "deal_stage", "close_date", "close_value"]

        mapping = map_columns(headers, OPPORTUNITIES, {"product": "name"})

        self.assertEqual(mapped(mapping), {
            "name": "product", "external_id": "opportunity_id", "owner": "sales_agent", "account": "account",
            "stage": "deal_stage", "close_date": "close_date", "value": "close_value",
        })

    def test_missing_required_column_names_fix(self):
        headers = ["product", "account", "deal_stage", "close_date", "close_value"]

        with self.assertRaisesMessage(MappingError, "the file has no column for the opportunity name"):
            map_columns(headers, OPPORTUNITIES)


class OverrideTests(TestCase):
    def test_override_replaces_match(self):
        mapping = map_columns([*OPPORTUNITY_BASICS, "Title"], OPPORTUNITIES, {"Title": "name"})

        self.assertEqual(mapping.header("name"), "Title")
        self.assertIn("Opportunity Name", [column.header for column in mapping.ignored])

    def test_override_ignores_column(self):
        mapping = map_columns(["account", "sector"], ACCOUNTS, {"sector": None})

        self.assertNotIn("industry", mapping)
        self.assertEqual(mapping.ignored[0].header, "sector")
        self.assertEqual(mapping.ignored[0].reason, "ignored as requested")

    def test_override_matches_header_loosely(self):
        mapping = map_columns(["account", "Head Office"], ACCOUNTS, {"head_office": "country"})

        self.assertEqual(mapping.header("country"), "Head Office")

    def test_override_accepts_field_synonym(self):
        mapping = map_columns(["account", "HQ"], ACCOUNTS, {"HQ": "Billing Country"})

        self.assertEqual(mapping.header("country"), "HQ")

    def test_override_unknown_column(self):
        with self.assertRaisesMessage(MappingError, 'the file has no column "region"; its columns are account, sector'):
            map_columns(["account", "sector"], ACCOUNTS, {"region": "country"})

    def test_override_unknown_field(self):
        with self.assertRaisesMessage(MappingError, '"revenue" is not a field of accounts; the fields are name'):
            map_columns(["account", "sector"], ACCOUNTS, {"sector": "revenue"})

    def test_two_overrides_same_field(self):
        with self.assertRaisesMessage(MappingError, "two columns are mapped to country"):
            map_columns(["account", "a", "b"], ACCOUNTS, {"a": "country", "b": "country"})

    def test_parse_map_option(self):
        self.assertEqual(parse_map_option("product=name"), ("product", "name"))
        self.assertEqual(parse_map_option("engage_date="), ("engage_date", None))

    def test_parse_map_option_without_equals(self):
        with self.assertRaisesMessage(MappingError, '"product" is not of the form COLUMN=FIELD'):
            parse_map_option("product")


class SynonymTableTests(TestCase):
    def test_synonyms_unique_per_entity(self):
        for entity, specs in FIELDS.items():
            synonyms = [synonym for spec in specs for synonym in spec.synonyms]
            with self.subTest(entity=entity):
                self.assertEqual(len(synonyms), len(set(synonyms)))
