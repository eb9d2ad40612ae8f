// Child process for the crash test: ingests numbered batches forever, resuming after the
// stored cursor, until it is killed. Each restart first re-ingests the last committed batch,
// as a poller with an overlap window would.
#include <cstdlib>
#include <iostream>
#include <string>

#include "base/clock.h"
#include "db/sqlite_store.h"
#include "tests/db/store_test_util.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: ingest_child DB BATCH_SIZE\n";
    return 2;
  }
  const int batch_size = std::atoi(argv[2]);
  sambat::SystemClock clock;
  auto store = sambat::db::SqliteStore::Open(argv[1], &clock);
  if (!store.ok()) {
    std::cerr << store.status().ToString() << "\n";
    return 1;
  }
  auto cursor = (*store)->GetCursor("x", "mentions");
  if (!cursor.ok()) return 1;
  long next = cursor->has_value() ? std::stol(*(*cursor)->cursor) : 0;  // overlap: redo the last one
  for (long b = next;; ++b) {
    sambat::db::IngestBatch batch;
    for (int i = 0; i < batch_size; ++i) {
      batch.items.push_back(sambat::db::testing::MakeItem(std::to_string(b) + "-" + std::to_string(i), i % 2 == 0));
    }
    batch.cursor = sambat::db::testing::MakeCursor(std::to_string(b));
    auto r = (*store)->Ingest(batch);
    if (!r.ok()) {
      std::cerr << r.status().ToString() << "\n";
      return 1;
    }
  }
}
