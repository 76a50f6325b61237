/**
 * Each query in DuckDB SQL over the tables `person`, `auction` and `bid` (columns as the event
 * fields, times as BIGINT epoch ms), written from the nexmark/nexmark Flink SQL. Windows are
 * spelled out with integer arithmetic on the ms times (HOP, TUMBLE, SESSION have no DuckDB
 * form); Flink's BIGINT AVG truncates, hence `sum // count`. The columns are those of the
 * query's canonical row (`NexmarkQuery.row`).
 */
export const REFERENCE_SQL: Readonly<Record<string, string>> = {
  q0: `SELECT auction, bidder, price, dateTime, extra FROM bid`,
  q1: `SELECT auction, bidder, CAST(price * 908 AS DOUBLE) / 1000, dateTime, extra FROM bid`,
  q2: `SELECT auction, price FROM bid WHERE auction % 123 = 0`,
  q3: `SELECT P.name, P.city, P.state, A.id FROM auction A JOIN person P ON A.seller = P.id
       WHERE A.category = 10 AND P.state IN ('OR', 'ID', 'CA')`,
  q4: `SELECT category, sum(final) // count(*) FROM (
         SELECT MAX(B.price) AS final, A.category FROM auction A, bid B
         WHERE A.id = B.auction AND B.dateTime BETWEEN A.dateTime AND A.expires
         GROUP BY A.id, A.category)
       GROUP BY category`,
  q5: `WITH b AS (SELECT auction, (dateTime // 2000) * 2000 - r.i * 2000 AS ws FROM bid CROSS JOIN range(5) AS r(i)),
       c AS (SELECT auction, ws, count(*) AS num FROM b GROUP BY auction, ws),
       m AS (SELECT ws, max(num) AS maxn FROM c GROUP BY ws)
       SELECT c.auction, c.num, c.ws FROM c JOIN m ON c.ws = m.ws WHERE c.num >= m.maxn`,
  // The SQL's BETWEEN window_end - 10 s AND window_end, without the next window's first millisecond.
  q7: `WITH m AS (SELECT dateTime // 10000 AS w, max(price) AS maxprice FROM bid GROUP BY w)
       SELECT B.auction, B.price, B.bidder, B.dateTime, B.extra FROM bid B
       JOIN m ON B.price = m.maxprice AND B.dateTime // 10000 = m.w`,
  q8: `SELECT P.id, P.name, (P.dateTime // 10000) * 10000 FROM person P
       WHERE EXISTS (SELECT 1 FROM auction A WHERE A.seller = P.id AND A.dateTime // 10000 = P.dateTime // 10000)`,
  // Flink merges sessions whose windows [t, t + gap) touch, so a gap of exactly 10 s continues one.
  q11: `WITH o AS (SELECT bidder, dateTime,
                CASE WHEN dateTime - lag(dateTime) OVER (PARTITION BY bidder ORDER BY dateTime) <= 10000 THEN 0 ELSE 1 END AS brk
              FROM bid),
        s AS (SELECT bidder, dateTime, sum(brk) OVER (PARTITION BY bidder ORDER BY dateTime ROWS UNBOUNDED PRECEDING) AS sid FROM o)
        SELECT bidder, count(*), min(dateTime), max(dateTime) + 10000 FROM s GROUP BY bidder, sid`,
  // Processing-time windows: compared as the total per bidder over all windows.
  q12: `SELECT bidder, count(*) FROM bid GROUP BY bidder`,
  q14: `SELECT auction, bidder, CAST(price * 908 AS DOUBLE) / 1000,
          CASE WHEN h >= 8 AND h <= 18 THEN 'dayTime' WHEN h <= 6 OR h >= 20 THEN 'nightTime' ELSE 'otherTime' END,
          dateTime, extra, length(extra) - length(replace(extra, 'c', ''))
        FROM (SELECT *, (dateTime // 3600000) % 24 AS h FROM bid)
        WHERE CAST(price * 908 AS DOUBLE) / 1000 > 1000000 AND CAST(price * 908 AS DOUBLE) / 1000 < 50000000`,
  q15: `SELECT strftime(make_timestamp(dateTime * 1000), '%Y-%m-%d') AS day,
          count(*),
          count(*) FILTER (WHERE price < 10000),
          count(*) FILTER (WHERE price >= 10000 AND price < 1000000),
          count(*) FILTER (WHERE price >= 1000000),
          count(DISTINCT bidder),
          count(DISTINCT bidder) FILTER (WHERE price < 10000),
          count(DISTINCT bidder) FILTER (WHERE price >= 10000 AND price < 1000000),
          count(DISTINCT bidder) FILTER (WHERE price >= 1000000),
          count(DISTINCT auction),
          count(DISTINCT auction) FILTER (WHERE price < 10000),
          count(DISTINCT auction) FILTER (WHERE price >= 10000 AND price < 1000000),
          count(DISTINCT auction) FILTER (WHERE price >= 1000000)
        FROM bid GROUP BY day`,
  q17: `SELECT auction, strftime(make_timestamp(dateTime * 1000), '%Y-%m-%d') AS day,
          count(*),
          count(*) FILTER (WHERE price < 10000),
          count(*) FILTER (WHERE price >= 10000 AND price < 1000000),
          count(*) FILTER (WHERE price >= 1000000),
          min(price), max(price), sum(price) // count(*), sum(price)
        FROM bid GROUP BY auction, day`,
  q19: `SELECT auction, string_agg(CAST(price AS VARCHAR), ',' ORDER BY price DESC) FROM (
          SELECT auction, price, row_number() OVER (PARTITION BY auction ORDER BY price DESC) AS rn FROM bid)
        WHERE rn <= 10 GROUP BY auction`,
  q20: `SELECT B.auction, B.bidder, B.price, B.channel, B.url, B.dateTime, B.extra,
          A.itemName, A.description, A.initialBid, A.reserve, A.dateTime, A.expires, A.seller, A.category, A.extra
        FROM bid B JOIN auction A ON B.auction = A.id WHERE A.category = 10`,
  q21: `SELECT * FROM (
          SELECT auction, bidder, price, channel,
            CASE lower(channel) WHEN 'apple' THEN '0' WHEN 'google' THEN '1' WHEN 'facebook' THEN '2' WHEN 'baidu' THEN '3'
              ELSE NULLIF(regexp_extract(url, '(&|^)channel_id=([^&]*)', 2), '') END AS channel_id
          FROM bid)
        WHERE channel_id IS NOT NULL`,
  q22: `SELECT auction, bidder, price, channel, split_part(url, '/', 4), split_part(url, '/', 5), split_part(url, '/', 6) FROM bid`,
};
