<?xml version="1.0" encoding="UTF-8"?>
<!--
  Shows Paperboy's RSS and Atom feeds as a readable page when opened in a
  browser. Feed readers ignore the xml-stylesheet instruction that points here.
  Text is only ever output as text (no disable-output-escaping), so nothing
  from the data can become markup.
-->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  exclude-result-prefixes="atom dc">
  <xsl:output method="html" encoding="UTF-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:template match="/">
    <xsl:variable name="isAtom" select="boolean(atom:feed)"/>
    <xsl:variable name="title" select="rss/channel/title | atom:feed/atom:title"/>
    <xsl:variable name="home" select="rss/channel/link | atom:feed/atom:link[@rel='alternate']/@href"/>
    <xsl:variable name="self" select="rss/channel/atom:link[@rel='self']/@href | atom:feed/atom:link[@rel='self']/@href"/>
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="robots" content="noindex"/>
        <title><xsl:value-of select="$title"/> (feed)</title>
        <style>
          body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 0 auto; padding: 1rem; color: #1a1a1a; background: #fff; }
          .note { background: #fff4e6; border: 1px solid #f0b27a; border-radius: 6px; padding: .75rem 1rem; }
          code { word-break: break-all; background: #f3f3f3; padding: 0 .25em; }
          li { margin: .8rem 0; }
          .meta { color: #555; font-size: .9rem; }
          a { color: #0b57d0; }
          @media (prefers-color-scheme: dark) {
            body { color: #e8e8e8; background: #161616; } .note { background: #3a2612; border-color: #8a5a2b; }
            code { background: #2a2a2a; } .meta { color: #aaa; } a { color: #8ab4f8; }
          }
        </style>
      </head>
      <body>
        <p class="note">
          This is an <strong><xsl:choose><xsl:when test="$isAtom">Atom</xsl:when><xsl:otherwise>RSS</xsl:otherwise></xsl:choose></strong>
          feed. To follow it, copy its address into your feed reader:
          <code><xsl:value-of select="$self"/></code>.
          <a href="{$home}feeds/">All feeds and how to use them</a>.
        </p>
        <h1><a href="{$home}"><xsl:value-of select="$title"/></a></h1>
        <p><xsl:value-of select="rss/channel/description | atom:feed/atom:subtitle"/></p>
        <ol>
          <xsl:apply-templates select="rss/channel/item | atom:feed/atom:entry"/>
        </ol>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="item">
    <li>
      <a href="{link}"><xsl:value-of select="title"/></a>
      <div class="meta">
        <xsl:value-of select="substring(pubDate, 1, 16)"/>
        <xsl:for-each select="dc:creator">
          <xsl:choose><xsl:when test="position() = 1"> · </xsl:when><xsl:otherwise>, </xsl:otherwise></xsl:choose>
          <xsl:value-of select="."/>
        </xsl:for-each>
      </div>
    </li>
  </xsl:template>

  <xsl:template match="atom:entry">
    <li>
      <a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a>
      <div class="meta">
        <xsl:value-of select="substring(atom:published, 1, 10)"/>
        <xsl:for-each select="atom:author/atom:name">
          <xsl:choose><xsl:when test="position() = 1"> · </xsl:when><xsl:otherwise>, </xsl:otherwise></xsl:choose>
          <xsl:value-of select="."/>
        </xsl:for-each>
      </div>
      <p>
        <xsl:value-of select="substring(atom:summary, 1, 280)"/>
        <xsl:if test="string-length(atom:summary) &gt; 280">…</xsl:if>
      </p>
    </li>
  </xsl:template>
</xsl:stylesheet>
