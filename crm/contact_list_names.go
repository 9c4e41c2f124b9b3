package crm

import "entgo.io/ent/dialect"

// outletNames is the subquery of a contact's outlet names in employment order.
func outletNames(dia, id string) string {
	if dia == dialect.Postgres {
		return "(SELECT string_agg(o.name, ', ' ORDER BY m.id) FROM employments m JOIN outlets o ON o.id = m.outlet_id WHERE m.contact_id = " + id + ")"
	}
	return "(SELECT group_concat(name, ', ') FROM (SELECT o.name FROM employments m JOIN outlets o ON o.id = m.outlet_id WHERE m.contact_id = " + id + " ORDER BY m.id))"
}

// namesOf is the subquery of the names a contact's link table (contact_tags
// by tag_id, contact_topics by topic_id) points to, in name order.
func namesOf(dia, link, fk, table, id string) string {
	if dia == dialect.Postgres {
		return "(SELECT string_agg(n.name, ', ' ORDER BY n.name) FROM " + link + " l JOIN " + table + " n ON n.id = l." + fk + " WHERE l.contact_id = " + id + ")"
	}
	return "(SELECT group_concat(name, ', ') FROM (SELECT n.name FROM " + link + " l JOIN " + table + " n ON n.id = l." + fk + " WHERE l.contact_id = " + id + " ORDER BY n.name))"
}
