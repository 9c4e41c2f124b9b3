-- Drop index "importrow_contact_id" from table: "import_rows"
DROP INDEX `importrow_contact_id`;
