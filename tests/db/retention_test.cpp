// Retention purge and subject erasure on a real SQLite file, with a fake clock.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "base/clock.h"
#include "db/sqlite.h"
#include "db/sqlite_store.h"
#include "db/subject_ref.h"
#include "tests/db/store_test_util.h"
#include "tests/support/temp_dir.h"

namespace sambat::db {
namespace {

using namespace std::chrono_literals;

constexpr int64_t kT0 = 1'764'000'000'000;
constexpr int64_t kDay = 86'400'000;

// The shared builder's post, written by this author on this platform.
IngestItem Item(const std::string& platform, const std::string& platform_id, const std::string& author_id,
                const std::string& handle, const std::string& text, bool complaint) {
  IngestItem item = testing::MakeItem(platform_id, complaint);
  item.post.platform = platform;
  item.post.author_id = author_id;
  item.post.author_handle = handle;
  item.post.text = text;
  item.post.created_at.reset();
  item.post.raw_json = "{\"id\":\"" + platform_id + "\",\"user\":\"" + handle + "\",\"text\":\"" + text + "\"}";
  if (item.draft) {
    item.draft->nama = handle;
    item.draft->pesan = text;
    item.draft->kanal = platform;
    item.draft->kecamatan.reset();
    item.draft->missing_fields_json = "[]";
    item.draft->sla_due_at = kT0 + 900'000;
  }
  return item;
}

class RetentionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = SqliteStore::Open(Path(), &clock_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
  }
  std::string Path() const { return dir_.File("sambatd.db"); }
  void Advance(int64_t ms) { clock_.Advance(std::chrono::milliseconds(ms)); }
  int64_t Now() const { return ToUnixMillis(clock_.Now()); }

  void Ingest(std::vector<IngestItem> items) {
    auto r = store_->Ingest({.items = std::move(items), .cursor = std::nullopt});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  // The draft made from the post with `platform_id`.
  int64_t DraftOf(const std::string& platform_id) {
    return Scalar("SELECT d.id FROM drafts d JOIN posts p ON p.id = d.post_id WHERE p.platform_id = '" + platform_id +
                  "'");
  }
  int64_t Version(int64_t draft) { return Scalar("SELECT version FROM drafts WHERE id = " + std::to_string(draft)); }
  void Decide(const std::string& platform_id, Decision decision, std::optional<int64_t> duplicate_of = std::nullopt,
              DraftEdit edit = {}) {
    const int64_t id = DraftOf(platform_id);
    Status s = store_->Decide({.draft_id = id,
                               .version = Version(id),
                               .decision = decision,
                               .edit = std::move(edit),
                               .reason = decision == Decision::kReject ? "bukan wewenang pemkab" : "",
                               .duplicate_of = duplicate_of,
                               .actor = "siti"});
    ASSERT_TRUE(s.ok()) << platform_id << ": " << s.ToString();
  }
  // One number, read on a connection of its own (what another process would see).
  int64_t Scalar(const std::string& sql) {
    auto conn = Connection::Open(Path(), {.read_only = true});
    EXPECT_TRUE(conn.ok());
    auto st = conn->Prepare(sql);
    EXPECT_TRUE(st.ok()) << sql << ": " << st.status().ToString();
    if (!st.ok()) return -1;
    int64_t v = -1;
    auto found = (*st)->FirstRow([&](const Statement& s) { v = s.IsNull(0) ? -1 : s.Int(0); });
    EXPECT_TRUE(found.ok()) << sql;
    return v;
  }
  bool PostExists(const std::string& platform_id) {
    return Scalar("SELECT count(*) FROM posts WHERE platform_id = '" + platform_id + "'") == 1;
  }
  int64_t FtsMatches(const std::string& word) {
    return Scalar("SELECT count(*) FROM drafts_fts WHERE drafts_fts MATCH '" + word + "'");
  }
  PurgeCounts Purge(bool dry_run) {
    auto r = store_->Purge({.policy = {.non_complaint_posts_ms = 90 * kDay,
                                       .rejected_drafts_ms = 90 * kDay,
                                       .webhook_events_ms = 30 * kDay},
                            .now_ms = Now(),
                            .dry_run = dry_run,
                            .actor = "sambatd"});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : PurgeCounts{};
  }

  sambat::testing::TempDir dir_;
  FakeClock clock_{FromUnixMillis(kT0)};
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(RetentionTest, PurgeWorksThroughManyBatchesPastTheComplaintsItKeeps) {
  // 1,300 old chatter posts between 400 old complaints (kept): more than two batches of 500.
  std::vector<IngestItem> items;
  for (int i = 0; i < 1700; ++i) {
    const bool complaint = i % 17 < 4;
    items.push_back(Item("x", "m" + std::to_string(i), std::to_string(i % 50), "w", complaint ? "jalan rusak" : "halo", complaint));
  }
  Ingest(std::move(items));
  const int64_t chatter = Scalar("SELECT count(*) FROM classifications WHERE is_complaint = 0");
  const int64_t complaints = Scalar("SELECT count(*) FROM drafts");
  ASSERT_GT(chatter, 1000);
  Advance(91 * kDay);
  EXPECT_EQ(Purge(true).non_complaint_posts, chatter);
  EXPECT_EQ(Purge(false).non_complaint_posts, chatter);
  EXPECT_EQ(Scalar("SELECT count(*) FROM posts"), complaints);
  EXPECT_EQ(Scalar("SELECT count(*) FROM drafts"), complaints);
}

TEST_F(RetentionTest, PurgeDeletesExactlyWhatIsOlderThanTheRetention) {
  Ingest({Item("x", "p1", "1", "a", "selamat pagi cilacap", false),
          Item("x", "d1", "1", "a", "jalan rusak zqaone", true),
          Item("x", "d2", "1", "a", "jalan rusak zqatwo", true),
          Item("x", "d3", "1", "a", "jalan rusak zqathree", true),
          Item("x", "d4", "1", "a", "lampu mati zqafour", true),
          Item("x", "d5", "1", "a", "lampu mati zqafive", true),
          Item("x", "d6", "1", "a", "sampah zqasix", true),
          Item("x", "d7", "1", "a", "sampah zqaseven", true)});
  Decide("d1", Decision::kReject);
  DraftEdit alamat;
  alamat.alamat = std::optional<std::string>("Jl. Kalimantan");
  Decide("d2", Decision::kConfirm, std::nullopt, alamat);
  Decide("d4", Decision::kDuplicate, DraftOf("d5"));
  Decide("d6", Decision::kReject);
  ASSERT_TRUE(*store_->SaveWebhookEvent("facebook", "{\"old\":1}", "sha-old"));
  ASSERT_TRUE(store_->FinishWebhookEvent(Scalar("SELECT id FROM webhook_events WHERE body_sha256 = 'sha-old'"),
                                         std::nullopt).ok());
  ASSERT_TRUE(*store_->SaveWebhookEvent("facebook", "{\"unprocessed\":1}", "sha-new"));
  Advance(60 * kDay);
  Decide("d7", Decision::kDuplicate, DraftOf("d6"));  // keeps d6 while d7 is kept
  Advance(31 * kDay);
  Ingest({Item("x", "p2", "1", "a", "selamat sore", false), Item("x", "d8", "1", "a", "banjir zqaeight", true)});
  Decide("d8", Decision::kReject);
  const int64_t posts_before = Scalar("SELECT count(*) FROM posts");

  PurgeCounts dry = Purge(true);
  EXPECT_EQ(Scalar("SELECT count(*) FROM posts"), posts_before);  // a dry run changes nothing
  EXPECT_EQ(Scalar("SELECT count(*) FROM audit_log WHERE action = 'purge'"), 0);

  PurgeCounts n = Purge(false);
  EXPECT_EQ(n.non_complaint_posts, 1);
  EXPECT_EQ(n.rejected_drafts, 1);
  EXPECT_EQ(n.duplicate_drafts, 1);
  EXPECT_EQ(n.draft_posts, 2);
  EXPECT_EQ(n.classifications, 3);
  EXPECT_EQ(n.webhook_events, 1);
  EXPECT_EQ(n.audit_rows_redacted, 2);  // the rejection of d1, the duplicate mark of d4
  EXPECT_EQ(n.outbox_rows, 0);
  EXPECT_EQ(dry.total(), n.total());
  EXPECT_EQ(dry.audit_rows_redacted, n.audit_rows_redacted);

  EXPECT_FALSE(PostExists("p1"));
  EXPECT_FALSE(PostExists("d1"));
  EXPECT_FALSE(PostExists("d4"));
  for (const char* kept : {"p2", "d2", "d3", "d5", "d6", "d7", "d8"}) EXPECT_TRUE(PostExists(kept)) << kept;
  EXPECT_EQ(FtsMatches("zqaone"), 0);
  EXPECT_EQ(FtsMatches("zqafour"), 0);
  EXPECT_EQ(FtsMatches("zqafive"), 1);
  EXPECT_EQ(Scalar("SELECT count(*) FROM classifications"), Scalar("SELECT count(*) FROM posts"));
  EXPECT_EQ(Scalar("SELECT count(*) FROM webhook_events"), 1);  // the unprocessed one
  EXPECT_EQ(Scalar("SELECT count(*) FROM outbox"), 1);          // d2's hand-off stays
  // The audit log keeps that the purge happened, with counts only.
  EXPECT_EQ(Scalar("SELECT count(*) FROM audit_log WHERE action = 'purge' AND actor = 'sambatd'"
                   " AND json_extract(after_json, '$.postingan_bukan_aduan') = 1"
                   " AND json_extract(after_json, '$.draf_ditolak') = 1"),
            1);
  EXPECT_EQ(Scalar("SELECT count(*) FROM audit_log WHERE entity = 'draft' AND entity_id = '" +
                   std::to_string(DraftOf("d2")) + "' AND redacted_at IS NULL AND after_json IS NOT NULL"),
            1);
  EXPECT_EQ(*store_->LastPurgeAt(), std::optional<int64_t>(Now()));

  // Nothing more is old enough now; 60 days on, d7 is old and takes d6 with it.
  EXPECT_EQ(Purge(false).total(), 0);
  Advance(60 * kDay);
  PurgeCounts later = Purge(false);
  EXPECT_EQ(later.rejected_drafts, 1);
  EXPECT_EQ(later.duplicate_drafts, 1);
  EXPECT_FALSE(PostExists("d6"));
  EXPECT_FALSE(PostExists("d7"));
  EXPECT_TRUE(PostExists("d8"));
  EXPECT_EQ(later.non_complaint_posts, 0);  // p2 is 60 days old
}

TEST_F(RetentionTest, PurgeWorksInBatchesAndCountsEveryOne) {
  std::vector<IngestItem> items;
  for (int i = 0; i < 1203; ++i) items.push_back(Item("x", "n" + std::to_string(i), "9", "b", "halo", false));
  Ingest(std::move(items));
  Advance(91 * kDay);
  EXPECT_EQ(Purge(true).non_complaint_posts, 1203);
  EXPECT_EQ(Purge(false).non_complaint_posts, 1203);
  EXPECT_EQ(Scalar("SELECT count(*) FROM posts"), 0);
  EXPECT_EQ(Scalar("SELECT count(*) FROM audit_log WHERE action = 'purge'"), 1);  // one row for the whole run
}

TEST_F(RetentionTest, AuditLogAllowsOnlyAOneTimeRedaction) {
  ASSERT_TRUE(store_->AppendAudit({.actor = "siti", .action = "edit", .entity = "draft", .entity_id = "1",
                                   .before_json = "{\"nama\":\"Budi\"}"})
                  .ok());
  auto conn = Connection::Open(Path());
  ASSERT_TRUE(conn.ok());
  EXPECT_FALSE(conn->Exec("UPDATE audit_log SET before_json = NULL").ok());  // not a redaction
  EXPECT_FALSE(conn->Exec("UPDATE audit_log SET before_json = NULL, redacted_at = 1, actor = 'x'").ok());
  EXPECT_FALSE(conn->Exec("UPDATE audit_log SET before_json = NULL, redacted_at = 1, entity_id = '2'").ok());
  EXPECT_TRUE(conn->Exec("UPDATE audit_log SET before_json = NULL, after_json = NULL, reason = NULL, redacted_at = 1")
                  .ok());
  EXPECT_FALSE(conn->Exec("UPDATE audit_log SET redacted_at = 2").ok());  // once only
  EXPECT_FALSE(conn->Exec("DELETE FROM audit_log").ok());
  EXPECT_EQ(Scalar("SELECT count(*) FROM audit_log WHERE actor = 'siti' AND action = 'edit' AND redacted_at = 1"), 1);
}

class EraseTest : public RetentionTest {
 protected:
  // The erased author's words, distinctive enough to be searched for byte by byte.
  const std::vector<std::string> kTraces = {"777001",     "si_unik_budi", "Unikmantra", "unikmantra",
                                            "zqxkeluhan", "Zqxalamat",    "zqxalamat",  "zqxcatatan"};

  void SeedTwoAuthors() {
    IngestItem a = Item("facebook", "fb_post_a1", "777001", "si_unik_budi", "jembatan ambrol zqxkeluhan", true);
    a.post.author_name = "Budi Unikmantra";
    a.draft->nama = "Budi Unikmantra";
    Ingest({a, Item("facebook", "fb_post_a2", "777001", "si_unik_budi", "halo zqxkeluhan juga", false),
            Item("x", "x_b1", "555", "warga_lain", "selokan mampet di sidareja", true)});
    // An edit, a confirmation with a hand-off delivered, a report with a note: every place
    // that copies the author's words.
    DraftEdit edit;
    edit.alamat = std::optional<std::string>("Gang Zqxalamat 7");
    ASSERT_TRUE(store_->EditDraft(DraftOf("fb_post_a1"), Version(DraftOf("fb_post_a1")), edit, "siti").ok());
    Decide("fb_post_a1", Decision::kConfirm);
    auto due = store_->DueOutbox("handoff", Now(), 10);
    ASSERT_TRUE(due.ok() && due->size() == 1);
    ASSERT_TRUE(store_->MarkDelivered((*due)[0].id, "TIKET-9", Now()).ok());
    ASSERT_TRUE(store_->RecordDispositionStep({.draft_id = DraftOf("fb_post_a1"), .step = "diterima_opd", .at = Now(),
                                               .note = "Budi Unikmantra zqxcatatan", .actor = "pipeline"})
                    .ok());
    // The other author's draft is marked a duplicate of Budi's.
    Decide("x_b1", Decision::kDuplicate, DraftOf("fb_post_a1"));
    ASSERT_TRUE(*store_->SaveWebhookEvent(
        "facebook", R"({"entry":[{"changes":[{"field":"feed","value":{"from":{"id":"777001","name":"Budi Unikmantra"},"message":"zqxkeluhan"}}]}]})",
        "sha-a"));
    ASSERT_TRUE(*store_->SaveWebhookEvent("facebook", R"({"entry":[{"changes":[{"value":{"from":{"id":"555"}}}]}]})",
                                          "sha-b"));
  }

  // Every text column of every table that holds one of `kTraces`, as "table.column: trace".
  std::vector<std::string> TracesInTables() {
    std::vector<std::string> found;
    auto conn = Connection::Open(Path(), {.read_only = true});
    EXPECT_TRUE(conn.ok());
    std::vector<std::string> tables;
    auto st = conn->Prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    EXPECT_TRUE((*st)->ForEachRow([&](const Statement& s) { tables.push_back(s.Text(0)); }).ok());
    for (const auto& table : tables) {
      std::vector<std::string> columns;
      auto cols = conn->Prepare("SELECT name FROM pragma_table_info('" + table + "')");
      EXPECT_TRUE((*cols)->ForEachRow([&](const Statement& s) { columns.push_back(s.Text(0)); }).ok());
      for (const auto& column : columns) {
        for (const auto& trace : kTraces) {
          auto q = conn->Prepare("SELECT count(*) FROM \"" + table + "\" WHERE instr(CAST(\"" + column +
                                 "\" AS BLOB), CAST(?1 AS BLOB)) > 0");
          EXPECT_TRUE(q.ok()) << table << "." << column;
          if (!q.ok()) continue;
          (*q)->Bind(1, trace);
          int64_t n = 0;
          EXPECT_TRUE((*q)->FirstRow([&](const Statement& s) { n = s.Int(0); }).ok());
          if (n > 0) found.push_back(table + "." + column + ": " + trace);
        }
      }
    }
    return found;
  }

  // Which of `kTraces` occur anywhere in the database file and its WAL.
  std::vector<std::string> TracesInFiles() {
    std::string bytes;
    for (const char* suffix : {"", "-wal"}) {
      std::ifstream in(Path() + suffix, std::ios::binary);
      std::stringstream s;
      s << in.rdbuf();
      bytes += s.str();
    }
    std::vector<std::string> found;
    for (const auto& trace : kTraces) {
      if (bytes.find(trace) != std::string::npos) found.push_back(trace);
    }
    return found;
  }
};

TEST_F(EraseTest, AnErasedAuthorsPostsAreNotCapturedAgain) {
  SeedTwoAuthors();
  auto salt = store_->SubjectSalt();
  ASSERT_TRUE(salt.ok());
  ASSERT_TRUE(store_->EraseSubject({"facebook", "777001"}, "cli:root", SubjectRef(*salt, "facebook", "777001"), false).ok());
  // The platform still shows the old post, and the author writes a new one; a neighbour too.
  auto r = store_->Ingest({.items = {Item("facebook", "fb_post_a1", "777001", "si_unik_budi", "jembatan ambrol", true),
                                     Item("facebook", "fb_post_a3", "777001", "si_unik_budi", "lagi lagi", true),
                                     Item("x", "x_b2", "777001", "same_id_other_platform", "jalan rusak", true)},
                          .cursor = std::nullopt});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->posts_of_erased_authors, 2);
  EXPECT_EQ(r->posts_inserted, 1);  // the same id on another platform is another person
  EXPECT_EQ(Scalar("SELECT count(*) FROM posts WHERE platform = 'facebook' AND author_id = '777001'"), 0);
  EXPECT_EQ(Scalar("SELECT count(*) FROM erased_subjects"), 1);
  EXPECT_EQ(Scalar("SELECT count(*) FROM erased_subjects WHERE ref LIKE '%777001%'"), 0);
}

TEST_F(EraseTest, ExportHasEverythingAboutTheAuthorAndNothingElse) {
  SeedTwoAuthors();
  auto json = store_->ExportSubject({"facebook", "777001"}, "cli:root", "sha256:abc");
  ASSERT_TRUE(json.ok()) << json.status().ToString();
  auto conn = Connection::Open(Path(), {.read_only = true});
  auto q = conn->Prepare(
      "SELECT json_array_length(?1, '$.posts'), json_extract(?1, '$.posts[0].draft.alamat'),"
      " json_extract(?1, '$.posts[0].raw.user'), json_extract(?1, '$.outbox[0].payload.nama'),"
      " json_extract(?1, '$.disposition_steps[0].note'), json_array_length(?1, '$.webhook_events'),"
      " json_array_length(?1, '$.audit'), instr(?1, 'warga_lain')");
  ASSERT_TRUE(q.ok());
  (*q)->Bind(1, *json);
  ASSERT_TRUE((*q)->FirstRow([&](const Statement& s) {
                   EXPECT_EQ(s.Int(0), 2);
                   EXPECT_EQ(s.Text(1), "Gang Zqxalamat 7");
                   EXPECT_EQ(s.Text(2), "si_unik_budi");
                   EXPECT_EQ(s.Text(3), "Budi Unikmantra");
                   EXPECT_EQ(s.Text(4), "Budi Unikmantra zqxcatatan");
                   EXPECT_EQ(s.Int(5), 1);
                   EXPECT_GE(s.Int(6), 4);  // edit, confirm, delivered, disposition
                   EXPECT_EQ(s.Int(7), 0);  // nothing of the other author
                 }).ok());
  EXPECT_EQ(Scalar("SELECT count(*) FROM audit_log WHERE action = 'subject_export' AND entity_id = 'sha256:abc'"), 1);
}

TEST_F(EraseTest, EraseLeavesNoTraceOfTheAuthorButTheAuditKeepsThatItHappened) {
  SeedTwoAuthors();
  // The test can fail: before the erasure the traces are there, in the tables and the file.
  EXPECT_FALSE(TracesInTables().empty());
  ASSERT_TRUE(store_->EraseSubject({"x", "nobody"}, "cli:root", "sha256:none", false).ok());  // checkpoints
  EXPECT_FALSE(TracesInFiles().empty());
  const int64_t b_draft = DraftOf("x_b1");

  auto n = store_->EraseSubject({"facebook", "777001"}, "cli:root", "sha256:budi", false);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->posts, 2);
  EXPECT_EQ(n->drafts, 1);
  EXPECT_EQ(n->classifications, 2);
  EXPECT_EQ(n->outbox_rows, 1);
  EXPECT_EQ(n->disposition_steps, 1);
  EXPECT_EQ(n->webhook_events, 1);
  EXPECT_GE(n->audit_rows_redacted, 4);
  EXPECT_EQ(n->handed_off_tickets, std::vector<std::string>{"TIKET-9"});
  EXPECT_TRUE(n->wal_truncated);

  EXPECT_EQ(TracesInTables(), std::vector<std::string>{});
  EXPECT_EQ(FtsMatches("zqxkeluhan"), 0);
  EXPECT_EQ(FtsMatches("unikmantra"), 0);
  EXPECT_EQ(FtsMatches("zqxalamat"), 0);
  store_.reset();  // closes every connection; the file is what stays on disk
  EXPECT_EQ(TracesInFiles(), std::vector<std::string>{});

  // The audit log says that an erasure happened, by whom, with counts, without the person.
  EXPECT_EQ(Scalar("SELECT count(*) FROM audit_log WHERE action = 'subject_erase' AND actor = 'cli:root'"
                   " AND entity_id = 'sha256:budi' AND json_extract(after_json, '$.postingan') = 2"
                   " AND json_extract(after_json, '$.platform') = 'facebook'"),
            1);
  EXPECT_EQ(Scalar("SELECT count(*) FROM audit_log WHERE action = 'confirm' AND redacted_at IS NOT NULL"
                   " AND before_json IS NULL AND after_json IS NULL"),
            1);
  // The other author is untouched, only no longer linked to a draft that is gone.
  EXPECT_EQ(Scalar("SELECT count(*) FROM posts WHERE author_id = '555'"), 1);
  EXPECT_EQ(Scalar("SELECT count(*) FROM drafts WHERE id = " + std::to_string(b_draft) +
                   " AND status = 'duplicate' AND duplicate_of IS NULL"),
            1);
  EXPECT_EQ(FtsMatches("sidareja"), 1);
  EXPECT_EQ(Scalar("SELECT count(*) FROM webhook_events"), 1);
  EXPECT_EQ(Scalar("SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"), 1);
}

}  // namespace
}  // namespace sambat::db
