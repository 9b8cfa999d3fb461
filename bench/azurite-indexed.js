#!/usr/bin/env node
// Azurite (the repo's pinned npm package) without the costs that grow with everything it holds, for the benchmark's
// --azurite-indexed only. Azurite 3.37 does work in proportion to all it holds on requests that real Azure Storage
// serves without it, so a benchmark that leaves 10,000 flows waiting slows by Azurite's size, not by anything the
// service does (docs/performance.md, "RSS with 10,000 flows waiting"). Three changes, each found by a CPU profile:
// - A table query whose filter pins one partition (`PartitionKey eq '…' and …`, or that clause alone) reads that
//   partition through Azurite's own PartitionKey index instead of testing every entity of the table. The same filter
//   still runs on every entity of the partition, in the same order, with the same paging. A filter that does not pin
//   one partition at its top level (an `or` outside parentheses, or no PartitionKey clause first) goes to Azurite's
//   own query untouched.
// - Removing a list of one document or none, or updating up to 32, does not rebuild the collection's indexes. LokiJS
//   1.5.12 rebuilds every index of a collection after any batch, even of none, and Azurite makes such batches on
//   nearly every queue request: it removes the expired messages (most often none) on every receive and delete,
//   updates the received ones and removes each deleted message's body by a one-document batch. Those indexes cover
//   all queues' messages, every waiting flow's timer among them, so each request sorted all of them again.
// - A lookup on several properties starts from the one that narrows most (the partition, the queue, the message).
// Answers are unchanged (tests/CinchFlows.IntegrationTests/Bench/AzuriteIndexedTests.cs). Arguments are Azurite's own.
"use strict";

const path = require("path");

const modules = path.join(__dirname, "..", "node_modules");
const azurite = path.join(modules, "azurite", "dist", "src");
const Store = require(path.join(azurite, "table", "persistence", "LokiTableMetadataStore.js")).default;
const { Collection, Resultset } = require(path.join(modules, "lokijs"));

/**
 * The partition a filter pins at its top level, or undefined. Only the form `PartitionKey eq '<key>'` optionally
 * followed by ` and <rest>`, where <rest> has no `or` outside parentheses and quotes (`and` binds tighter than `or`
 * in OData, so `PK eq 'a' and X or Y` is not confined to partition a).
 */
function pinnedPartition(filter) {
  if (typeof filter !== "string") {
    return undefined;
  }

  const head = /^\s*PartitionKey\s+eq\s+'((?:[^']|'')*)'\s*/.exec(filter);
  if (!head) {
    return undefined;
  }

  const rest = filter.slice(head[0].length);
  if (rest.length > 0) {
    const and = /^and\s+/i.exec(rest);
    if (!and || hasTopLevelOr(rest.slice(and[0].length))) {
      return undefined;
    }
  }

  return head[1].replace(/''/g, "'");
}

function hasTopLevelOr(text) {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === "'") {
        if (text[i + 1] === "'") {
          i++;
        } else {
          quoted = false;
        }
      }
    } else if (c === "'") {
      quoted = true;
    } else if (c === "(") {
      depth++;
    } else if (c === ")") {
      depth--;
    } else if (depth === 0 && /\s/.test(c) && /^\s+or[\s(]/i.test(text.slice(i))) {
      return true;
    }
  }

  return false;
}

const scanWholeTable = Store.prototype.queryTableEntities;
Store.prototype.queryTableEntities = function queryTableEntities(context, account, table, queryOptions, nextPartitionKey, nextRowKey) {
  const partition = pinnedPartition(queryOptions && queryOptions.filter);
  if (partition === undefined) {
    return scanWholeTable.apply(this, arguments);
  }

  // Azurite's own query, given a collection whose chain starts from the partition's entities (an indexed find).
  const store = this;
  const scoped = Object.create(store);
  scoped.getEntityCollection = function getEntityCollection() {
    const collection = store.getEntityCollection.apply(store, arguments);
    return { chain: () => collection.chain().find({ PartitionKey: partition }) };
  };
  return scanWholeTable.apply(scoped, arguments);
};

// A batch of none does nothing; a batch of one takes the single document's path, which updates the indexes in place.
// (removeBatch maps the batch to positions through a table of every document first, so it is cut short too.)
for (const [name, one] of [["removeBatch", (collection, doc) => doc], ["removeBatchByPositions", (collection, position) => collection.data[position]]]) {
  const batch = Collection.prototype[name];
  Collection.prototype[name] = function (items) {
    if (items.length === 0) {
      return undefined;
    }

    return items.length === 1 ? this.remove(one(this, items[0])) : batch.apply(this, arguments);
  };
}

// Up to a receive's most (32), documents are updated one by one, which moves each in the indexes; more go as a batch.
const update = Collection.prototype.update;
Collection.prototype.update = function (doc) {
  if (Array.isArray(doc) && doc.length <= 32) {
    for (const one of doc) {
      update.call(this, one);
    }

    return undefined;
  }

  return update.apply(this, arguments);
};

// A query on several properties uses the index of the first one only. Azurite names RowKey before PartitionKey (so a
// history row is looked up among every history's row with that number) and the account before the queue (so a
// receive tests every message of every queue): put the property that narrows most first. The same filters apply, and
// in each case Azurite sorts the rows afterwards, takes the one row that can match, counts or removes them.
const narrowestFirst = ["messageId", "PartitionKey", "queueName"];
const find = Resultset.prototype.find;
Resultset.prototype.find = function (query, firstOnly) {
  if (query !== null && typeof query === "object" && !Array.isArray(query)) {
    const keys = Object.keys(query);
    const narrowest = narrowestFirst.find(key => keys.includes(key));
    if (keys.length > 1 && narrowest !== undefined && keys[0] !== narrowest) {
      const reordered = { [narrowest]: query[narrowest] };
      for (const key of keys) {
        if (key !== narrowest) {
          reordered[key] = query[key];
        }
      }

      return find.call(this, reordered, firstOnly);
    }
  }

  return find.apply(this, arguments);
};

module.exports = { pinnedPartition };

if (require.main === module) {
  require(path.join(azurite, "azurite.js"));
}
