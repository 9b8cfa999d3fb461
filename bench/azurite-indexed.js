#!/usr/bin/env node
// Azurite (the repo's pinned npm package) with two of its costs taken away, for the benchmark's --azurite-indexed
// only. Azurite 3.37 does work in proportion to everything it holds on requests that real Azure Storage serves without
// it, so a benchmark that leaves 10,000 flows waiting slows by Azurite's size, not by anything the service does
// (docs/performance.md, "RSS with 10,000 flows waiting"):
// - A table query whose filter pins one partition (`PartitionKey eq '…' and …`, or that clause alone) reads that
//   partition through Azurite's own PartitionKey index instead of testing every entity of the table. The same filter
//   still runs on every entity of the partition, in the same order, with the same paging. A filter that does not pin
//   one partition at its top level (an `or` outside parentheses, or no PartitionKey clause first) goes to Azurite's
//   own query untouched.
// - Removing or updating a list of one document or none does not rebuild the collection's indexes. LokiJS 1.5.12
//   rebuilds every index of a collection after any batch, even of none, and Azurite makes such batches on nearly
//   every queue request: it removes the expired messages (most often none) on every receive and delete, updates the
//   received ones (often none or one) and removes each deleted message's body by a one-document batch. Those indexes
//   cover all queues' messages, every waiting flow's timer among them, so each request sorted all of them again.
// Answers are unchanged (tests/CinchFlows.IntegrationTests/Bench/AzuriteIndexedTests.cs). Arguments are Azurite's own.
"use strict";

const path = require("path");

const modules = path.join(__dirname, "..", "node_modules");
const azurite = path.join(modules, "azurite", "dist", "src");
const Store = require(path.join(azurite, "table", "persistence", "LokiTableMetadataStore.js")).default;
const { Collection } = require(path.join(modules, "lokijs"));

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
const removeBatch = Collection.prototype.removeBatchByPositions;
Collection.prototype.removeBatchByPositions = function removeBatchByPositions(positions) {
  if (positions.length === 0) {
    return undefined;
  }

  return positions.length === 1 ? this.remove(this.data[positions[0]]) : removeBatch.apply(this, arguments);
};

const update = Collection.prototype.update;
Collection.prototype.update = function (doc) {
  if (Array.isArray(doc) && doc.length <= 1) {
    return doc.length === 0 ? undefined : update.call(this, doc[0]);
  }

  return update.apply(this, arguments);
};

module.exports = { pinnedPartition };

if (require.main === module) {
  require(path.join(azurite, "azurite.js"));
}
