package crm

import "github.com/rapport-crm/rapport/ent"

// The sentences of campaigns, imports, merges and bulk actions (see
// audit_messages.go).

var (
	msgTargetList     = auditMessage("{{.Campaign}}: target list, {{.Count}} rows", text("Campaign"), number("Count"))
	msgCoverage       = auditMessage("{{.Campaign}}: {{.Title}}", text("Campaign"), text("Title"))
	msgBounced        = auditMessage("{{.Campaign}}: {{.Count}} bounced (no e-mail address)", text("Campaign"), number("Count"))
	msgPitched        = auditMessage("{{.Campaign}}: pitched {{.Count}} ({{.Bounced}} bounced, {{.Excluded}} excluded)", text("Campaign"), number("Count"), number("Bounced"), number("Excluded"))
	msgTargetsFrozen  = auditMessage("{{.Campaign}}: {{.Count}} targets frozen from a list", text("Campaign"), number("Count"))
	msgTargetsByHand  = auditMessage("{{.Campaign}}: {{.Count}} targets added by hand", text("Campaign"), number("Count"))
	msgFiguresImport  = auditMessage("Channel figures imported from {{.File}}", text("File"))
	msgFiguresTyped   = auditMessage("Channel figures of channel #{{.Channel}} entered by hand", recID("Channel"))
	msgFiguresTypedOf = auditMessage("Channel figures of {{.Channel}} entered by hand", text("Channel"))
	msgCampaignEdit   = auditMessage("{{.Campaign}}: changed {{.Fields}}", text("Campaign"), fields("Fields"))
	msgCampaignStatus = auditMessage("{{.Campaign}}: {{.Status}}", text("Campaign"), enum("Status"))
	msgTargetsStatus  = auditMessage("{{.Campaign}}: {{.Count}} targets → {{.Status}}", text("Campaign"), number("Count"), enum("Status"))
	msgNoReply        = auditMessage("{{.Count}} targets without a reply after {{.Days}} days", number("Count"), number("Days"))
	msgCoverageImport = auditMessage("Coverage imported from {{.File}}: {{.Count}} saved, {{.Skipped}} skipped, {{.Errors}} with errors", text("File"), number("Count"), number("Skipped"), number("Errors"))
	msgImportStarted  = auditMessage("started importing {{.File}} ({{.Count}} rows)", text("File"), number("Count"))
	msgImportFinished = auditMessage("finished importing {{.File}}", text("File"))
	msgImportReverted = auditMessage("reverted {{.File}}: {{.Count}} contacts removed, {{.Restored}} restored, {{.Kept}} left alone", text("File"), number("Count"), number("Restored"), number("Kept"))
	msgImportedRow    = auditMessage("imported from {{.File}} (import #{{.Import}}, row {{.Row}})", text("File"), recID("Import"), number("Row"))
	msgImportUpdate   = auditMessage("import #{{.Import}} ({{.File}})", recID("Import"), text("File"))
	msgImportRevert   = auditMessage("import #{{.Import}} ({{.File}}) reverted", recID("Import"), text("File"))
	msgMerged         = auditMessage("Merged #{{.Drop}} ({{.DropName}}) into #{{.Keep}} ({{.KeepName}})", recID("Drop"), text("DropName"), recID("Keep"), text("KeepName"))
	msgMergedHere     = auditMessage("merged #{{.Drop}} ({{.DropName}}) into this contact", recID("Drop"), text("DropName"))
	msgMergedInto     = auditMessage("merged into #{{.Keep}}", recID("Keep"))
	msgMergeUndone    = auditMessage("merge of #{{.Drop}} undone", recID("Drop"))
	msgRestoredByUndo = auditMessage("restored by undoing its merge into #{{.Keep}}", recID("Keep"))
	msgUndidMerge     = auditMessage("Undid the merge of #{{.Drop}} into #{{.Keep}}", recID("Drop"), recID("Keep"))
	msgBulk           = auditMessage("bulk #{{.Bulk}}: {{.What}}", recID("Bulk"), bulkWhat("What"), text("Action"), text("Arg"))
	msgBulkUndo       = auditMessage("undo bulk #{{.Bulk}}: {{.What}}", recID("Bulk"), bulkWhat("What"), text("Action"), text("Arg"))
)

// MsgFiguresImport: channel figures imported from file.
func MsgFiguresImport(file string) AuditMsg { return msgFiguresImport.of(file) }

// MsgFiguresTyped: a reading of owned channel id typed into its form.
func MsgFiguresTyped(id int) AuditMsg { return msgFiguresTyped.of(id) }

// MsgFiguresTypedFor: a reading of a contact's channel (its platform and
// handle) typed into its form.
func MsgFiguresTypedFor(channel string) AuditMsg { return msgFiguresTypedOf.of(channel) }

// MsgCampaignEdit: a campaign's fields (those of ch) changed.
func MsgCampaignEdit(campaign string, ch Changes) AuditMsg { return msgCampaignEdit.of(campaign, ch) }

// MsgTargetList: a campaign's target list exported with n rows.
func MsgTargetList(campaign string, n int) AuditMsg { return msgTargetList.of(campaign, n) }

// MsgCoverage: a coverage item of a campaign.
func MsgCoverage(campaign, title string) AuditMsg { return msgCoverage.of(campaign, title) }

// MsgBounced: n targets of a campaign bounced for want of an address.
func MsgBounced(campaign string, n int) AuditMsg { return msgBounced.of(campaign, n) }

// MsgPitched: a campaign's pitch sent.
func MsgPitched(campaign string, n, bounced, excluded int) AuditMsg {
	return msgPitched.of(campaign, n, bounced, excluded)
}

// MsgTargetsFrozen: n targets frozen from a list into a campaign.
func MsgTargetsFrozen(campaign string, n int) AuditMsg { return msgTargetsFrozen.of(campaign, n) }

// MsgTargetsByHand: n targets added to a campaign by hand.
func MsgTargetsByHand(campaign string, n int) AuditMsg { return msgTargetsByHand.of(campaign, n) }

// MsgCampaignStatus: a campaign's new status.
func MsgCampaignStatus(campaign, status string) AuditMsg {
	return msgCampaignStatus.of(campaign, status)
}

// MsgTargetsStatus: n targets of a campaign moved to a pitch status.
func MsgTargetsStatus(campaign string, n int, status string) AuditMsg {
	return msgTargetsStatus.of(campaign, n, status)
}

// MsgNoReply: n targets marked without a reply after days.
func MsgNoReply(n, days int) AuditMsg { return msgNoReply.of(n, days) }

// MsgCoverageImport: a coverage file imported.
func MsgCoverageImport(file string, saved, skipped, errs int) AuditMsg {
	return msgCoverageImport.of(file, saved, skipped, errs)
}

// MsgImportStarted: an import of rows began.
func MsgImportStarted(file string, rows int) AuditMsg { return msgImportStarted.of(file, rows) }

// MsgImportFinished: an import finished (crm/notify tells its user).
func MsgImportFinished(file string) AuditMsg { return msgImportFinished.of(file) }

// MsgImportFinishedID is the message ID of MsgImportFinished.
var MsgImportFinishedID = msgImportFinished.id

// MsgImportReverted: an import reverted.
func MsgImportReverted(file string, deleted, restored, kept int) AuditMsg {
	return msgImportReverted.of(file, deleted, restored, kept)
}

// MsgImportedRow: a contact created by row of an import.
func MsgImportedRow(file string, importID, row int) AuditMsg {
	return msgImportedRow.of(file, importID, row)
}

// MsgImportUpdate: a contact updated by an import.
func MsgImportUpdate(importID int, file string) AuditMsg { return msgImportUpdate.of(importID, file) }

// MsgImportRevert: a contact removed or restored by an import's revert.
func MsgImportRevert(importID int, file string) AuditMsg { return msgImportRevert.of(importID, file) }

// MsgMerged: contact drop merged into keep.
func MsgMerged(drop int, dropName string, keep int, keepName string) AuditMsg {
	return msgMerged.of(drop, dropName, keep, keepName)
}

// MsgMergedHere: the survivor of a merge took drop's data.
func MsgMergedHere(drop int, dropName string) AuditMsg { return msgMergedHere.of(drop, dropName) }

// MsgMergedInto: the removed contact of a merge.
func MsgMergedInto(keep int) AuditMsg { return msgMergedInto.of(keep) }

// MsgMergeUndone: the survivor of a merge given back its data.
func MsgMergeUndone(drop int) AuditMsg { return msgMergeUndone.of(drop) }

// MsgRestoredByUndo: the removed contact of a merge restored by its undo.
func MsgRestoredByUndo(keep int) AuditMsg { return msgRestoredByUndo.of(keep) }

// MsgUndidMerge: a merge undone.
func MsgUndidMerge(drop, keep int) AuditMsg { return msgUndidMerge.of(drop, keep) }

// MsgBulk: a change of bulk action ba: its stored English description
// (What), and its action and shown argument, which say it in the reader's
// words (ArgBulk).
func MsgBulk(ba *ent.BulkAction) AuditMsg {
	return msgBulk.of(ba.ID, ba.Summary, ba.Action, BulkArg(ba.Action, ba.Value, ba.Summary))
}

// MsgBulkUndo: the undo of bulk action ba.
func MsgBulkUndo(ba *ent.BulkAction) AuditMsg {
	return msgBulkUndo.of(ba.ID, ba.Summary, ba.Action, BulkArg(ba.Action, ba.Value, ba.Summary))
}
