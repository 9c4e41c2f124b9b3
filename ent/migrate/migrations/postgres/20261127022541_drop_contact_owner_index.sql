-- Drop index "contact_owner_id" from table: "contacts"
DROP INDEX "contact_owner_id";
