/**
 * The booking pages: /booking/ (taxpayers: book, 我的预约, queue board) and /hall/ (hall console). Static HTML
 * that loads one script each, bundled from TypeScript by esbuild at first request (services/web/booking),
 * like the widget; no inline script, so the site-wide CSP applies unchanged.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { BOOKING_WEB_DIR, bookingBundle, type BookingPage } from '../../web/booking/bundle.js'

export default async function bookingPages(app: FastifyInstance): Promise<void> {
  const pages: { page: BookingPage; url: string; title: string }[] = [
    { page: 'booking', url: '/booking/', title: '网上预约办税页面' },
    { page: 'hall', url: '/hall/', title: '办税服务厅预约管理台' },
  ]
  const css = fs.readFileSync(path.join(BOOKING_WEB_DIR, 'booking.css'))
  app.get('/booking/booking.css', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'no-cache').send(css),
  )
  for (const { page, url, title } of pages) {
    const html = fs.readFileSync(path.join(BOOKING_WEB_DIR, `${page}.html`))
    app.get(url, { schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html),
    )
    // Documented without the trailing slash (the form the OpenAPI lint wants); it redirects to the page.
    app.get(url.slice(0, -1), { schema: { tags: ['booking'], summary: title } }, (req, reply) =>
      reply.redirect(`${url}${req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : ''}`),
    )
    app.get(`/booking/${page}.js`, { schema: { hide: true } }, async (_req, reply) => {
      const code = await bookingBundle(page)
      return reply.type('application/javascript; charset=utf-8').header('cache-control', 'no-cache').send(code)
    })
  }
}
