/** Chinese names of entry kinds, as taxpayers read them next to a source. */
export const KIND_LABEL: Record<string, string> = {
  'law-article': '法规条文',
  faq: '12366问答',
  guide: '办税指南',
  'hot-topic': '热点案例',
  notice: '通知公告',
  policy: '政策文件',
}
