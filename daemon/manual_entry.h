// The SOP's manual input: a post Admin Utama saw on social media, pasted into the queue. It is
// classified like any captured post (OPD, kategori, location suggestions), and always becomes
// a draft: a person already judged it a complaint.
#pragma once

#include "classifier/classifier.h"
#include "daemon/ingest.h"
#include "db/queue_store.h"
#include "web/queue_api.h"

namespace sambat::daemon {

// The stored post's id is the link when there is one (the same link cannot be entered twice),
// else a hash of the text.
db::ManualEntry MakeManualEntry(const web::ManualPost& post, const classifier::Classifier& classifier,
                                int64_t now_ms, const IngestOptions& options);

// Pick lists and validation sets for the queue, from the loaded rules and gazetteer.
std::shared_ptr<const web::QueueCatalog> BuildCatalog(const classifier::Classifier& classifier);

}  // namespace sambat::daemon
