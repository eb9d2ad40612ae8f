// From fetched posts to what the store keeps: each post classified, and each complaint
// turned into a pre-filled Lapor dan SambatMasBup entry (draft) as the SOP asks for it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/metrics.h"
#include "classifier/classifier.h"
#include "connectors/connector.h"
#include "db/records.h"

namespace sambat::daemon {

struct IngestOptions {
  int64_t sla_ms = 15 * 60'000;  // SOP step 2
  Histogram* classify_seconds = nullptr;  // per post, for /metrics
};

// The draft for a complaint: nama (display name, else @handle, marked as from the profile),
// alamat (the place found), pesan (the text as written), kanal, link, lampiran, kategori,
// OPD candidates (best first, the best chosen), kecamatan/desa, SLA due, missing fields.
db::DraftRecord MakeDraft(const connectors::Post& post, const classifier::Classification& c, int64_t now_ms,
                          const IngestOptions& options);

db::PostRecord MakePostRecord(connectors::Post post);
std::string MediaJson(const connectors::Post& post);
db::ClassificationRecord MakeClassificationRecord(const classifier::Classification& c, const std::string& rules_version);

// One post classified and made into what the store keeps (a draft when it is a complaint).
db::IngestItem MakeIngestItem(connectors::Post post, const classifier::Classifier& classifier, int64_t now_ms,
                              const IngestOptions& options);

// The whole batch for one poll of one endpoint; the cursor row rides along.
db::IngestBatch BuildBatch(std::vector<connectors::Post> posts, const classifier::Classifier& classifier,
                           int64_t now_ms, const IngestOptions& options, std::optional<db::CursorState> cursor);

}  // namespace sambat::daemon
