package crm

import (
	"github.com/rapport-crm/rapport/ent/bulkactionitem"
	"github.com/rapport-crm/rapport/ent/campaigntarget"
	"github.com/rapport-crm/rapport/ent/change"
	"github.com/rapport-crm/rapport/ent/consentevent"
	"github.com/rapport-crm/rapport/ent/contactemail"
	"github.com/rapport-crm/rapport/ent/contacttag"
	"github.com/rapport-crm/rapport/ent/contacttopic"
	"github.com/rapport-crm/rapport/ent/coverageauthor"
	"github.com/rapport-crm/rapport/ent/employment"
	"github.com/rapport-crm/rapport/ent/feed"
	"github.com/rapport-crm/rapport/ent/feedpost"
	"github.com/rapport-crm/rapport/ent/importrow"
	"github.com/rapport-crm/rapport/ent/nomination"
	"github.com/rapport-crm/rapport/ent/participation"
	"github.com/rapport-crm/rapport/ent/privacyrequest"
	"github.com/rapport-crm/rapport/ent/retentionreview"
	"github.com/rapport-crm/rapport/ent/socialprofile"
	"github.com/rapport-crm/rapport/ent/task"
	"github.com/rapport-crm/rapport/ent/webhookdelivery"
)

// mover says how a merge moves the rows of one table that refer to the
// contact merged away: they are given to the survivor, except those the
// survivor has already (same: the columns that, with the contact, make a
// row the same one; one: the survivor may have one row only), which go
// with the merged contact's deletion. fix sets columns of a moved row.
// The undo puts every row back as it was.
type mover struct {
	table string
	same  []string
	one   bool
	fix   map[string]any
}

// contactCol is the column by which every moved table refers to a contact.
const contactCol = "contact_id"

// mergeMovers is the one list of what a merge moves: every table that
// refers to a contact is here or in notMoved (TestMergeMoversCoverEveryTable).
var mergeMovers = []mover{
	// the contact's own relations: what ContactInput holds
	{table: contactemail.Table, same: []string{contactemail.FieldAddress}, fix: map[string]any{contactemail.FieldPrimary: false}},
	{table: socialprofile.Table}, // (platform, handle) is unique: never both; its follower history stays with it
	{table: feed.Table},          // the feeds of the contact's channels, and their posts, follow the channels
	{table: feedpost.Table},
	{table: employment.Table, same: []string{employment.FieldOutletID, employment.FieldRole}},
	{table: contacttopic.Table, same: []string{contacttopic.FieldTopicID}},
	{table: contacttag.Table, same: []string{contacttag.FieldTagID}},
	// the history and work about the person
	{table: participation.Table, same: []string{participation.FieldInteractionID}}, // interactions, their links and evidence
	{table: consentevent.Table},
	{table: campaigntarget.Table, same: []string{campaigntarget.FieldCampaignID}},
	{table: coverageauthor.Table, same: []string{coverageauthor.FieldCoverageItemID}},
	{table: nomination.Table}, // with their decisions and evidence
	{table: task.Table},
	{table: retentionreview.Table, one: true},
	{table: privacyrequest.Table},
}

// notMoved are the tables that name a contact but keep naming the merged
// one, with the reason.
var notMoved = map[string]string{
	change.Table:          "the search outbox: the merge records the changes of both contacts itself",
	bulkactionitem.Table:  "a bulk action's undo record names the contact it changed; its undo skips a contact merged away",
	importrow.Table:       "an import's record of its row; a revert skips a contact merged away",
	webhookdelivery.Table: "deliveries queued or sent for the contact as it was",
}
